-- CreateTable
CREATE TABLE "pipeline_runs" (
    "id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'dbt_build',
    "status" TEXT NOT NULL,
    "selector" TEXT,
    "trigger" TEXT NOT NULL,
    "requested_by_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "nodes_total" INTEGER,
    "nodes_done" INTEGER NOT NULL DEFAULT 0,
    "results" JSONB,
    "error" TEXT,
    "is_current" BOOLEAN NOT NULL DEFAULT false,
    "outputs_deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "pipeline_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pipeline_schedules" (
    "id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "cron" TEXT NOT NULL,
    "selector" TEXT,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pipeline_schedules_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "pipeline_runs_workspace_id_created_at_idx" ON "pipeline_runs"("workspace_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "pipeline_schedules_workspace_id_key" ON "pipeline_schedules"("workspace_id");

-- One queued or running dbt run per workspace: a second start is refused by the database itself.
CREATE UNIQUE INDEX "pipeline_runs_one_active_per_workspace" ON "pipeline_runs"("workspace_id") WHERE "status" IN ('queued', 'running');

-- One current run per workspace.
CREATE UNIQUE INDEX "pipeline_runs_one_current_per_workspace" ON "pipeline_runs"("workspace_id") WHERE "is_current";

-- AddForeignKey
ALTER TABLE "pipeline_runs" ADD CONSTRAINT "pipeline_runs_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pipeline_runs" ADD CONSTRAINT "pipeline_runs_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pipeline_schedules" ADD CONSTRAINT "pipeline_schedules_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;
