-- CreateTable
CREATE TABLE "PersistedOperation" (
    "id" SERIAL NOT NULL,
    "hash" TEXT NOT NULL,
    "document" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "registeredById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PersistedOperation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PersistedOperation_hash_key" ON "PersistedOperation"("hash");

-- AddForeignKey
ALTER TABLE "PersistedOperation" ADD CONSTRAINT "PersistedOperation_registeredById_fkey" FOREIGN KEY ("registeredById") REFERENCES "ApiKey"("id") ON DELETE SET NULL ON UPDATE CASCADE;
