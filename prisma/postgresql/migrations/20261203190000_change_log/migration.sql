-- Every change to resources is also kept for a while in resource_changes, and its notification carries the row's
-- id: a store whose LISTEN connection was lost reads what it missed from there when it listens again (NOTIFY is not
-- queued for a connection that is not listening). Rows older than an hour are pruned by the stores.
-- (Written by hand: the table is the trigger's, not part of the Prisma schema.)
CREATE TABLE "resource_changes" (
    "id" BIGSERIAL PRIMARY KEY,
    "at" TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    "op" TEXT NOT NULL,
    "type" TEXT COLLATE "C" NOT NULL,
    "mesh" TEXT COLLATE "C" NOT NULL,
    "name" TEXT COLLATE "C" NOT NULL,
    "version" INTEGER NOT NULL
);
CREATE INDEX "resource_changes_at_idx" ON "resource_changes" ("at");

CREATE OR REPLACE FUNCTION "zonemesh_notify_change"() RETURNS trigger AS $$
DECLARE
    changed "resources";
    change "resource_changes";
BEGIN
    IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF;
    INSERT INTO "resource_changes" ("op", "type", "mesh", "name", "version")
    VALUES (CASE TG_OP WHEN 'INSERT' THEN 'create' WHEN 'UPDATE' THEN 'update' ELSE 'delete' END,
            changed."type", changed."mesh", changed."name", changed."version")
    RETURNING * INTO change;
    PERFORM pg_notify('zonemesh_changes', json_build_object(
        'id', change."id",
        'at', change."at",
        'op', change."op",
        'type', change."type",
        'mesh', change."mesh",
        'name', change."name",
        'version', change."version"
    )::text);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
