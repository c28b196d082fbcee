import { SearchParamsBoundary } from "@/components/search-params-boundary";
import { TopologyView } from "./topology-view";

export default function TopologyPage() {
  return (
    <SearchParamsBoundary what="the topology">
      <TopologyView />
    </SearchParamsBoundary>
  );
}
