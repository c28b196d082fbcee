"use client";

import { TARGET_REF_KINDS, TOP_LEVEL_KINDS, type FieldError } from "@zonemesh/resources";
import type { ReactNode } from "react";
import { MeshSelect } from "@/components/mesh-select";
import { errorsAt, readField, type FieldPath } from "@/lib/policy-document";

const NAMED_KINDS = ["MeshService", "MeshServiceSubset"];
/** What `name` means for a kind: the service, or (kind Dataplane) the dataplane; it is cleared when that changes. */
const nameMeaning = (kind: string) => (NAMED_KINDS.includes(kind) ? "service" : kind === "Dataplane" ? "dataplane" : undefined);
/** Fields whose meaning depends on the kind: cleared when the kind's meaning of `name` changes. */
const KIND_FIELDS = ["name", "labels", "namespace", "sectionName"];

/** `app=web, tier=api` and back: the labels of a kind Dataplane targetRef in one input. */
const labelsText = (labels: unknown) =>
  Object.entries((labels ?? {}) as Record<string, string>)
    .map(([key, value]) => `${key}=${value}`)
    .join(", ");
function parseLabels(text: string): Record<string, string> | undefined {
  const pairs = text
    .split(",")
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf("=");
      return at < 0 ? [pair, ""] : [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
    });
  return pairs.length > 0 ? Object.fromEntries(pairs) : undefined;
}
const TRAFFIC_PERMISSION_ACTIONS = ["Allow", "Deny", "AllowWithShadowDeny"];

/** `spec.from[0].default.action`, the notation of the shared validation's field errors. */
const fieldName = (path: FieldPath) => path.reduce<string>((name, part) => (typeof part === "number" ? `${name}[${part}]` : name ? `${name}.${part}` : part), "");

interface FormProps {
  text: string;
  errors: FieldError[];
  onChange: (path: FieldPath, value: string | Record<string, string> | undefined) => void;
  /** Name and mesh identify a stored policy: changing them would create another one. */
  identityLocked: boolean;
}

function Field({ label, path, errors, children }: { label: string; path: FieldPath; errors: FieldError[]; children: ReactNode }) {
  const messages = errorsAt(errors, fieldName(path));
  return (
    <div className="form-field">
      <label>
        {label}
        {children}
      </label>
      {messages.map((message) => (
        <span className="field-error" key={message} role="alert" data-field={fieldName(path)}>
          {message}
        </span>
      ))}
    </div>
  );
}

function TargetRefFields({ title, base, kinds, ...props }: FormProps & { title: string; base: FieldPath; kinds: readonly string[] }) {
  const kind = String(readField(props.text, [...base, "kind"]) ?? "");
  return (
    <>
      <Field label={`${title} kind`} path={[...base, "kind"]} errors={props.errors}>
        <select
          name={fieldName([...base, "kind"])}
          value={kind}
          onChange={(event) => {
            const next = event.target.value;
            props.onChange([...base, "kind"], next);
            if (nameMeaning(next) !== nameMeaning(kind)) for (const field of KIND_FIELDS) props.onChange([...base, field], undefined);
          }}
        >
          {!kinds.includes(kind) && <option value={kind}>{kind || "—"}</option>}
          {kinds.map((option) => (
            <option key={option}>{option}</option>
          ))}
        </select>
      </Field>
      {nameMeaning(kind) && (
        <Field label={`${title} ${nameMeaning(kind)}`} path={[...base, "name"]} errors={props.errors}>
          <input
            name={fieldName([...base, "name"])}
            value={String(readField(props.text, [...base, "name"]) ?? "")}
            placeholder={kind === "Dataplane" ? "every dataplane" : undefined}
            onChange={(event) => props.onChange([...base, "name"], event.target.value)}
          />
        </Field>
      )}
      {kind === "Dataplane" && (
        <Field label={`${title} labels`} path={[...base, "labels"]} errors={props.errors}>
          {/* Written on blur: a half-typed "app=web," must not be re-read from the YAML while typing. */}
          <input
            key={labelsText(readField(props.text, [...base, "labels"]))}
            name={fieldName([...base, "labels"])}
            defaultValue={labelsText(readField(props.text, [...base, "labels"]))}
            placeholder="app=web, tier=api"
            onBlur={(event) => props.onChange([...base, "labels"], parseLabels(event.target.value))}
          />
        </Field>
      )}
    </>
  );
}

/** The fields most policies share, written into the YAML (the YAML stays the source of truth). */
export function PolicyForm(props: FormProps) {
  const { text, errors, onChange, identityLocked } = props;
  const type = String(readField(text, ["type"]) ?? "");
  const actionPath: FieldPath = ["spec", "from", 0, "default", "action"];
  return (
    <fieldset className="policy-form">
      <legend>Common fields</legend>
      <Field label="Name" path={["name"]} errors={errors}>
        <input name="name" value={String(readField(text, ["name"]) ?? "")} disabled={identityLocked} onChange={(event) => onChange(["name"], event.target.value)} />
      </Field>
      <div className="form-field">
        {identityLocked ? (
          <label>
            Mesh
            <input value={String(readField(text, ["mesh"]) ?? "")} disabled />
          </label>
        ) : (
          <MeshSelect required value={String(readField(text, ["mesh"]) ?? "")} onChange={(mesh) => onChange(["mesh"], mesh)} />
        )}
        {errorsAt(errors, "mesh").map((message) => (
          <span className="field-error" key={message} role="alert" data-field="mesh">
            {message}
          </span>
        ))}
      </div>
      <TargetRefFields {...props} title="Target" base={["spec", "targetRef"]} kinds={TOP_LEVEL_KINDS} />
      {type === "MeshTrafficPermission" && (
        <>
          <TargetRefFields {...props} title="From" base={["spec", "from", 0, "targetRef"]} kinds={TARGET_REF_KINDS} />
          <Field label="Action" path={actionPath} errors={errors}>
            <select name={fieldName(actionPath)} value={String(readField(text, actionPath) ?? "")} onChange={(event) => onChange(actionPath, event.target.value)}>
              {!TRAFFIC_PERMISSION_ACTIONS.includes(String(readField(text, actionPath) ?? "")) && (
                <option value={String(readField(text, actionPath) ?? "")}>{String(readField(text, actionPath) ?? "—")}</option>
              )}
              {TRAFFIC_PERMISSION_ACTIONS.map((action) => (
                <option key={action}>{action}</option>
              ))}
            </select>
          </Field>
        </>
      )}
    </fieldset>
  );
}
