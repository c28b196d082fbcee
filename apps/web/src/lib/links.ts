/** The policy editor for one policy (or a new one when `name` is omitted). */
export const policyEditorHref = (type: string, mesh: string, name?: string) =>
  `/policies/edit?${new URLSearchParams({ type, ...(mesh ? { mesh } : {}), ...(name ? { name } : {}) }).toString()}`;

export const dataplaneHref = (mesh: string, name: string) => `/dataplanes/${encodeURIComponent(mesh)}/${encodeURIComponent(name)}`;
