"use client";

import { yaml } from "@codemirror/lang-yaml";
import CodeMirror from "@uiw/react-codemirror";

const extensions = [yaml()];

export function YamlEditor({ value, onChange }: { value: string; onChange: (text: string) => void }) {
  return (
    <div className="yaml-editor" data-testid="yaml-editor">
      <CodeMirror value={value} onChange={onChange} extensions={extensions} height="420px" basicSetup={{ foldGutter: false }} aria-label="Policy YAML" />
    </div>
  );
}
