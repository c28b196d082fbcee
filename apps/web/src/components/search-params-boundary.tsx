import { Suspense, type ReactNode } from "react";
import { Loading } from "./states";

/** Views that read the query string render in the browser; this is what the prerendered HTML shows until then. */
export function SearchParamsBoundary({ what, children }: { what: string; children: ReactNode }) {
  return <Suspense fallback={<Loading what={what} />}>{children}</Suspense>;
}
