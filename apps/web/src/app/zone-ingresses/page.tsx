import { SearchParamsBoundary } from "@/components/search-params-boundary";
import { ZoneIngressesView } from "./zone-ingresses-view";

export default function ZoneIngressesPage() {
  return (
    <SearchParamsBoundary what="zone ingresses">
      <ZoneIngressesView />
    </SearchParamsBoundary>
  );
}
