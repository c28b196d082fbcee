import { SearchParamsBoundary } from "@/components/search-params-boundary";
import { ExternalServicesView } from "./external-services-view";

export default function ExternalServicesPage() {
  return (
    <SearchParamsBoundary what="external services">
      <ExternalServicesView />
    </SearchParamsBoundary>
  );
}
