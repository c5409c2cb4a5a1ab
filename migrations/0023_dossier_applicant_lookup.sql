-- Counter intake finds an applicant's earlier dossiers at the agency by identity number
-- (dossiers::Service::FindApplicant).
CREATE INDEX dossiers_applicant_id_number ON dossiers (applicant_id_number, receiving_agency_id);
