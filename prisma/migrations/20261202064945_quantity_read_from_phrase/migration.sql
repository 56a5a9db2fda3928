-- AlterTable
ALTER TABLE "Figure" ADD COLUMN     "quantityReadFromPhrase" BOOLEAN NOT NULL DEFAULT false;
