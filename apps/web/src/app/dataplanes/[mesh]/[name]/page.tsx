import { DataplaneDetail } from "./dataplane-detail";

export default async function DataplanePage({ params }: { params: Promise<{ mesh: string; name: string }> }) {
  const { mesh, name } = await params;
  return <DataplaneDetail mesh={decodeURIComponent(mesh)} name={decodeURIComponent(name)} />;
}
