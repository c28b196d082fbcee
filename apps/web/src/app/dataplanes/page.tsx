import { SearchParamsBoundary } from "@/components/search-params-boundary";
import { DataplanesView } from "./dataplanes-view";

export default function DataplanesPage() {
  return (
    <SearchParamsBoundary what="dataplanes">
      <DataplanesView />
    </SearchParamsBoundary>
  );
}
