import { diffLines } from "diff";

/** A line diff of the stored YAML and the edited YAML. */
export function TextDiff({ before, after }: { before: string; after: string }) {
  const parts = diffLines(before, after);
  if (parts.every((part) => !part.added && !part.removed)) return <p className="muted">No changes from the stored version.</p>;
  return (
    <pre className="block diff" aria-label="Diff against the stored version">
      {parts.flatMap((part, index) =>
        part.value
          .replace(/\n$/, "")
          .split("\n")
          .map((line, lineIndex) => (
            <div key={`${index}-${lineIndex}`} className={part.added ? "added" : part.removed ? "removed" : undefined}>
              {part.added ? "+ " : part.removed ? "- " : "  "}
              {line}
            </div>
          )),
      )}
    </pre>
  );
}
