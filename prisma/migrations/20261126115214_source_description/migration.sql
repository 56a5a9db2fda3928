/*
  Warnings:

  - Added the required column `description` to the `Source` table without a default value. This is not possible if the table is not empty.

*/
-- AlterEnum
ALTER TYPE "ParticipantRole" ADD VALUE 'OPERATOR';

-- AlterTable
ALTER TABLE "Source" ADD COLUMN     "description" TEXT NOT NULL,
ALTER COLUMN "title" DROP NOT NULL;
