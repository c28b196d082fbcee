import assert from "node:assert/strict";
import { it } from "node:test";
import { openStore } from "./open-store";

it("refuses a store URL it cannot serve, naming what it accepts", async () => {
  await assert.rejects(openStore({ url: "mysql://db/zonemesh" }), /must start with postgres:\/\/ or postgresql:\/\//);
});
