import { SearchParamsBoundary } from "@/components/search-params-boundary";
import { MeshesView } from "./meshes-view";

export default function MeshesPage() {
  return (
    <SearchParamsBoundary what="meshes">
      <MeshesView />
    </SearchParamsBoundary>
  );
}
