/** The message name of an Any written as a plain object: its "@type" without the type URL's prefix. */
export const typeNameOf = (config: { "@type"?: string } | undefined) => (config?.["@type"] ?? "").slice((config?.["@type"] ?? "").lastIndexOf("/") + 1);
