import { SearchParamsBoundary } from "@/components/search-params-boundary";
import { ZonesView } from "./zones-view";

export default function ZonesPage() {
  return (
    <SearchParamsBoundary what="zones">
      <ZonesView />
    </SearchParamsBoundary>
  );
}
