import { SearchParamsBoundary } from "@/components/search-params-boundary";
import { PolicyEditorPage } from "./policy-editor-page";

export default function EditPolicyPage() {
  return (
    <SearchParamsBoundary what="the policy editor">
      <PolicyEditorPage />
    </SearchParamsBoundary>
  );
}
