-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "resources" (
    "id" SERIAL NOT NULL,
    "type" TEXT NOT NULL,
    "mesh" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "spec" TEXT NOT NULL,
    "creationTime" TIMESTAMP(3) NOT NULL,
    "modificationTime" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "resources_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "resource_labels" (
    "resourceId" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "resource_labels_pkey" PRIMARY KEY ("resourceId","key")
);

-- CreateIndex
CREATE INDEX "resources_type_name_mesh_idx" ON "resources"("type", "name", "mesh");

-- CreateIndex
CREATE UNIQUE INDEX "resources_type_mesh_name_key" ON "resources"("type", "mesh", "name");

-- CreateIndex
CREATE INDEX "resource_labels_key_value_idx" ON "resource_labels"("key", "value");

-- AddForeignKey
ALTER TABLE "resource_labels" ADD CONSTRAINT "resource_labels_resourceId_fkey" FOREIGN KEY ("resourceId") REFERENCES "resources"("id") ON DELETE CASCADE ON UPDATE CASCADE;
