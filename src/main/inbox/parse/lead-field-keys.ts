import type { LeadFields } from '../inbound-message';

/**
 * What a web form's field label means, in English, French or German. Labels are compared without case,
 * accents, punctuation or spaces ("E-Mail-Adresse:", "Téléphone *" and "TELEPHONE" all match), and without a
 * leading "your" / "votre" / "ihre".
 */

/** A label that names part of a name: put together into `name` when the form splits it. */
export type NamePart = 'givenName' | 'familyName' | 'nameOrFamilyName';
export type FieldMeaning = Exclude<keyof LeadFields, 'name'> | 'fullName' | NamePart;

const labels: Readonly<Record<FieldMeaning, readonly string[]>> = {
  fullName: ['fullname', 'nomcomplet', 'nometprenom', 'prenometnom', 'vollstandigername', 'vorundnachname', 'contactname'],
  // "Nom" next to "Prénom", "Name" next to "Vorname", is the family name; alone, it is the whole name.
  nameOrFamilyName: ['name', 'nom'],
  givenName: ['firstname', 'givenname', 'prenom', 'vorname'],
  familyName: ['lastname', 'surname', 'familyname', 'nomdefamille', 'nachname', 'familienname'],
  email: [
    'email', 'emailaddress', 'mail', 'courriel', 'adresseemail', 'adressecourriel', 'adressemail',
    'adresseelectronique', 'emailadresse', 'mailadresse',
  ],
  phone: [
    'phone', 'phonenumber', 'telephone', 'tel', 'telefon', 'telefonnummer', 'numerodetelephone', 'mobile',
    'mobilephone', 'cellphone', 'handy', 'handynummer', 'portable',
  ],
  company: [
    'company', 'companyname', 'organisation', 'organization', 'societe', 'entreprise', 'firma', 'firmenname',
    'unternehmen',
  ],
  message: [
    'message', 'comments', 'comment', 'commentaire', 'commentaires', 'nachricht', 'anliegen', 'kommentar',
    'kommentare',
  ],
};

const meaningOfLabel = new Map<string, FieldMeaning>(
  Object.entries(labels).flatMap(([meaning, names]) => names.map((name) => [name, meaning as FieldMeaning])),
);

const possessives = /^(?:your|votre|vos|ihre|ihr|deine|dein)(?=.)/;

export function meaningOf(label: string): FieldMeaning | null {
  const key = comparable(label);
  return meaningOfLabel.get(key) ?? meaningOfLabel.get(key.replace(possessives, '')) ?? null;
}

/**
 * Lower case, only letters and digits, ß as "ss"; accents are dropped because NFKD splits "é" into "e" and a
 * combining mark, which is neither a letter nor a digit.
 */
export function comparable(label: string): string {
  return label
    .normalize('NFKD')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}]/gu, '');
}
