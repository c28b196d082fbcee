import { test } from "node:test";
import assert from "node:assert/strict";
import { readConfig } from "./config";

const zoneArgs = ["--mode", "zone", "--zone", "east", "--global-kds-address", "global:5685"];

test("zone mode takes its token from --zone-token-file or ZONEMESH_ZONE_TOKEN and refuses to start without one", () => {
  assert.equal(readConfig([...zoneArgs, "--zone-token-file", "/etc/zone-token"], {}).zoneTokenFile, "/etc/zone-token");
  assert.equal(readConfig(zoneArgs, { ZONEMESH_ZONE_TOKEN_FILE: "/run/token" }).zoneTokenFile, "/run/token");
  assert.equal(readConfig(zoneArgs, { ZONEMESH_ZONE_TOKEN: "abc" }).zoneToken, "abc");
  assert.throws(() => readConfig(zoneArgs, { ZONEMESH_ZONE_TOKEN: "" }), /zoneToken: zone mode needs a zone token issued by the global CP/);
});

test("the KDS server binds all interfaces unless told otherwise", () => {
  assert.equal(readConfig(["--mode", "global"], {}).kdsHost, "0.0.0.0");
  assert.equal(readConfig(["--mode", "global", "--kds-host", "127.0.0.1"], {}).kdsHost, "127.0.0.1");
});
