import { describe, expect, it } from 'vitest';
import { accountApplicant, applicantFields, verifiedIdentity } from '../src/lib/applicant';
import type { User } from '../src/lib/types';

const citizen: User = {
  id: 7,
  login: '019190000001',
  kind: 'citizen',
  full_name: 'Nguyễn Thị Lan',
  email: 'lan.nguyen@example.vn',
  phone: '0912345678',
  agency_id: 0,
  position: '',
  roles: ['citizen'],
  disabled: false,
};

describe('who an online submission is for', () => {
  it('is the account itself by default: its name and CCCD (or tax code)', () => {
    expect(accountApplicant(citizen)).toEqual({
      kind: 1,
      name: 'Nguyễn Thị Lan',
      id_number: '019190000001',
      phone: '0912345678',
      email: 'lan.nguyen@example.vn',
      address: '',
      birth_date: '',
    });
    expect(accountApplicant({ ...citizen, birth_date: '1990-03-08' }).birth_date).toBe('1990-03-08');
    expect(accountApplicant({ ...citizen, kind: 'business', login: '0100109106' }).kind).toBe(2);
  });

  it('says on_behalf only when submitting for someone else', () => {
    const own = applicantFields(accountApplicant(citizen), false);
    expect(own).not.toHaveProperty('on_behalf');
    expect((own.applicant as { id_number: string }).id_number).toBe('019190000001');
    const other = applicantFields({ kind: 1, name: ' Lê Văn Cường ', id_number: '001190000002', phone: '', email: '', address: '' }, true);
    expect(other.on_behalf).toBe(true);
    expect(other.applicant).toMatchObject({ name: 'Lê Văn Cường', id_number: '001190000002' });
    expect(other.applicant).not.toHaveProperty('birth_date');
    // A citizen's birth date goes with the identity (checked against the population database);
    // a business has none.
    const dated = applicantFields({ kind: 1, name: 'Lê Văn Cường', id_number: '001190000002', phone: '', email: '', address: '', birth_date: '1990-02-03' }, true);
    expect(dated.applicant).toMatchObject({ birth_date: '1990-02-03' });
    const business = applicantFields({ kind: 2, name: 'Công ty A', id_number: '0100109106', phone: '', email: '', address: '', birth_date: '1990-02-03' }, true);
    expect(business.applicant).not.toHaveProperty('birth_date');
  });

  it('is verified only when an identity provider vouched for the account', () => {
    expect(verifiedIdentity(citizen)).toBeNull();
    expect(verifiedIdentity(null)).toBeNull();
    expect(verifiedIdentity({ ...citizen, identity_provider: 'vneid', identity_verified_at: '2026-12-07T08:00:00Z', birth_date: '1999-01-02' })).toEqual({
      provider: 'vneid',
      birthDate: '1999-01-02',
    });
    expect(verifiedIdentity({ ...citizen, identity_provider: 'vneid' })?.birthDate).toBeNull();
  });
});
