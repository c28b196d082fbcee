/** A timestamp shown as an absolute UTC time (stable between server and client renders). */
export function Timestamp({ value }: { value: string | null | undefined }) {
  if (!value) return <span className="muted">—</span>;
  const date = new Date(value);
  return <time dateTime={value}>{date.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z")}</time>;
}
