import { SearchParamsBoundary } from "@/components/search-params-boundary";
import { ServicesView } from "./services-view";

export default function ServicesPage() {
  return (
    <SearchParamsBoundary what="services">
      <ServicesView />
    </SearchParamsBoundary>
  );
}
