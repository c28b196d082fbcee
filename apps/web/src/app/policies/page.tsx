import { SearchParamsBoundary } from "@/components/search-params-boundary";
import { PoliciesView } from "./policies-view";

export default function PoliciesPage() {
  return (
    <SearchParamsBoundary what="policies">
      <PoliciesView />
    </SearchParamsBoundary>
  );
}
