-- Compare and order type, mesh and name bytewise (as SQLite does), whatever the database's locale,
-- so that both backends list in the same order. (Written by hand: Prisma's schema has no collations.)
ALTER TABLE "resources"
    ALTER COLUMN "type" TYPE TEXT COLLATE "C",
    ALTER COLUMN "mesh" TYPE TEXT COLLATE "C",
    ALTER COLUMN "name" TYPE TEXT COLLATE "C";
