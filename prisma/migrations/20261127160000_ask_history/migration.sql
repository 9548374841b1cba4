-- CreateTable
CREATE TABLE "ask_conversations" (
    "id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ask_conversations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ask_messages" (
    "id" TEXT NOT NULL,
    "conversation_id" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "refused" BOOLEAN NOT NULL,
    "result" JSONB NOT NULL,
    "rating" TEXT,
    "correction" TEXT,
    "rated_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ask_messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ask_examples" (
    "id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "answer_as" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "message_id" TEXT,
    "created_by_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ask_examples_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ask_conversations_workspace_id_user_id_updated_at_idx" ON "ask_conversations"("workspace_id", "user_id", "updated_at");

-- CreateIndex
CREATE INDEX "ask_messages_conversation_id_created_at_idx" ON "ask_messages"("conversation_id", "created_at");

-- CreateIndex
CREATE INDEX "ask_examples_workspace_id_created_at_idx" ON "ask_examples"("workspace_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "ask_examples_workspace_id_question_key" ON "ask_examples"("workspace_id", "question");

-- AddForeignKey
ALTER TABLE "ask_conversations" ADD CONSTRAINT "ask_conversations_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ask_conversations" ADD CONSTRAINT "ask_conversations_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ask_messages" ADD CONSTRAINT "ask_messages_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "ask_conversations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ask_examples" ADD CONSTRAINT "ask_examples_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ask_examples" ADD CONSTRAINT "ask_examples_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "ask_messages"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ask_examples" ADD CONSTRAINT "ask_examples_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE;
