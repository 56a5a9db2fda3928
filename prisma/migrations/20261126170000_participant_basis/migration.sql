-- CreateIndex
CREATE INDEX "IncidentParticipant_basisId_idx" ON "IncidentParticipant"("basisId");
