import { describe, expect, it } from 'vitest';
import { parseInbound } from '../../src/main/inbox/parse/parse-inbound';
import { leadFieldsFrom } from '../../src/main/inbox/parse/lead-fields';

const crlf = (lines: readonly string[]) => lines.join('\r\n');

describe('web-form fields from "Label: Value" text', () => {
  it('reads English labels, trimming the values', () => {
    const text = 'Name:   Ann Smith  \nEmail: ann@example.com\nPhone: +44 20 7946 0000\nCompany: Acme Ltd\nMessage: Please call me.\n';
    expect(leadFieldsFrom(text, null)).toEqual({
      name: 'Ann Smith', email: 'ann@example.com', phone: '+44 20 7946 0000', company: 'Acme Ltd', message: 'Please call me.',
    });
  });

  it('reads French labels, whatever their case, accents and punctuation', () => {
    const text = 'NOM COMPLET : Éloïse Dupont\nAdresse e-mail* : eloise@exemple.fr\nTéléphone : 01 23 45 67 89\nSociété : Dupont & Fils\nCommentaire : Bonjour';
    expect(leadFieldsFrom(text, null)).toEqual({
      name: 'Éloïse Dupont', email: 'eloise@exemple.fr', phone: '01 23 45 67 89', company: 'Dupont & Fils', message: 'Bonjour',
    });
    expect(leadFieldsFrom('nom : Martin\ncourriel : m@exemple.fr\nportable : 06 00 00 00 00\nentreprise : Martin SA', null)).toEqual({
      name: 'Martin', email: 'm@exemple.fr', phone: '06 00 00 00 00', company: 'Martin SA',
    });
  });

  it('reads German labels, and puts a split name together (Vorname + Nachname, Prénom + Nom)', () => {
    const text = 'Vorname: Jürgen\nNachname: Groß\nE-Mail-Adresse: jg@beispiel.de\nHandy: 0171 1234567\nFirma: Groß GmbH\nAnliegen: Angebot';
    expect(leadFieldsFrom(text, null)).toEqual({
      name: 'Jürgen Groß', email: 'jg@beispiel.de', phone: '0171 1234567', company: 'Groß GmbH', message: 'Angebot',
    });
    expect(leadFieldsFrom('Prénom : Marie\nNom : Curie\nE-mail : mc@exemple.fr', null)).toEqual({ name: 'Marie Curie', email: 'mc@exemple.fr' });
    expect(leadFieldsFrom('Name: Schmidt\nVorname: Eva\nTelefon: 030 123\nUnternehmen: X AG\nKommentar: Hallo\nE-Mail: e@x.de', null)).toEqual({
      name: 'Eva Schmidt', email: 'e@x.de', phone: '030 123', company: 'X AG', message: 'Hallo',
    });
  });

  it('keeps a message that runs over several lines, up to the next label or the signature', () => {
    const text = 'Email: a@b.example\nNachricht: Guten Tag,\nich hätte gern ein Angebot.\n\nDanke\nTelefon: 123\n-- \nSent by the Website Form';
    expect(leadFieldsFrom(text, null)).toEqual({ email: 'a@b.example', message: 'Guten Tag,\nich hätte gern ein Angebot.\n\nDanke', phone: '123' });
  });

  it('takes the value from the next line when the label stands alone', () => {
    expect(leadFieldsFrom('Name:\nAnn\nEmail:\n\nann@example.com\n', null)).toEqual({ name: 'Ann', email: 'ann@example.com' });
  });

  it('ignores quoted text and mail that is not a form (a signature with one phone number is not a lead)', () => {
    expect(leadFieldsFrom('> Name: Ann\n> Email: ann@example.com\nThanks!', null)).toEqual({});
    expect(leadFieldsFrom('Hi Bob,\nsee you tomorrow.\nTel: 555 0100\nMobile: 555 0101\n', null)).toEqual({});
    expect(leadFieldsFrom('Subject: hello\nFrom: x@example.com\nTo: y@example.com\n', null)).toEqual({});
    expect(leadFieldsFrom('', null)).toEqual({});
  });
});

describe('web-form fields from HTML tables', () => {
  it('reads two-cell rows (th or td), the first cell as the label, as a browser parses them', () => {
    const html = `<html><body><h1>New enquiry</h1><table>
      <tr><th>Full name:</th><td><b>Ann</b>  Smith</td></tr>
      <tr><td>E-mail</td><td><a href="mailto:ann@example.com">ann@example.com</a></td>
      <tr><td>Organization<td>Acme &amp; Co<style>td { color: red }</style>
      <tr><td>Comments</td><td>Line one<br>Line two</td></tr>
      <tr><td colspan=2>Submitted from example.com</td></tr>
      <tr><td>Phone</td><td>1</td><td>extra cell: not a pair</td></tr>
      </table><script>var Name = "x"</script></body></html>`;
    expect(leadFieldsFrom('', html)).toEqual({ name: 'Ann Smith', email: 'ann@example.com', company: 'Acme & Co', message: 'Line one\nLine two' });
  });

  it('gives nothing for HTML that is not a form', () => {
    expect(leadFieldsFrom('', '<p>Name: this is prose</p><table><tr><td>Price</td><td>10</td></tr></table>')).toEqual({});
  });
});

describe('web-form fields from a JSON body', () => {
  it('reads a top-level object, values trimmed, numbers as text, nested values ignored', () => {
    const json = JSON.stringify({ 'Full name': ' Ann Smith ', 'e-mail': 'ann@example.com', telephone: 442079460000, extra: { company: 'no' }, Organisation: 'Acme' });
    expect(leadFieldsFrom(`\n${json}\n`, null)).toEqual({ name: 'Ann Smith', email: 'ann@example.com', phone: '442079460000', company: 'Acme' });
  });

  it('ignores JSON that is not an object, and broken JSON', () => {
    expect(leadFieldsFrom('[{"name":"a","email":"b@c.d"}]', null)).toEqual({});
    expect(leadFieldsFrom('{"name": "a", "email": ', null)).toEqual({});
  });
});

describe('web-form fields from real form mail', () => {
  it('reads a French form sent as quoted-printable multipart/alternative (the HTML table wins)', async () => {
    const raw = Buffer.from(crlf([
      'From: "Formulaire du site" <NoReply@Exemple.fr>',
      'To: ventes@exemple.fr',
      'Subject: =?UTF-8?Q?Nouvelle_demande_de_contact?=',
      'Date: Mon, 3 Feb 2025 09:15:00 +0100',
      'Message-ID: <form-1@exemple.fr>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=UTF-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Pr=C3=A9nom : =C3=89lo=C3=AFse',
      'Nom : Dupont',
      '--b1',
      'Content-Type: text/html; charset=UTF-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      '<table><tr><td>Pr=C3=A9nom</td><td>=C3=89lo=C3=AFse</td></tr><tr><td>Nom</td><td>Dupont</td></tr>',
      '<tr><td>Courriel</td><td>eloise@exemple.fr</td></tr><tr><td>T=C3=A9l=C3=A9phone</td><td>01 23 45 67 89</td></tr>',
      '<tr><td>Soci=C3=A9t=C3=A9</td><td>Dupont SA</td></tr><tr><td>Message</td><td>Rappelez-moi</td></tr></table>',
      '--b1--',
      '',
    ]));
    const parsed = await parseInbound(raw, 'lead');
    expect(parsed.fields).toEqual({ name: 'Éloïse Dupont', email: 'eloise@exemple.fr', phone: '01 23 45 67 89', company: 'Dupont SA', message: 'Rappelez-moi' });
    expect(parsed.parseError).toBeNull();
  });

  it('reads a German form in ISO-8859-1 text, and a JSON body', async () => {
    const german = Buffer.from(crlf([
      'From: web@beispiel.de',
      'Subject: Kontaktformular',
      'Date: Tue, 4 Feb 2025 10:00:00 +0100',
      'Content-Type: text/plain; charset=ISO-8859-1',
      'Content-Transfer-Encoding: 8bit',
      '',
      'Vorname: J\xfcrgen',
      'Nachname: Gro\xdf',
      'E-Mail: jg@beispiel.de',
      'Nachricht: Bitte um R\xfcckruf.',
      '',
    ]), 'latin1');
    expect((await parseInbound(german, 'lead')).fields).toEqual({ name: 'Jürgen Groß', email: 'jg@beispiel.de', message: 'Bitte um Rückruf.' });

    const json = Buffer.from(crlf([
      'From: hooks@example.com',
      'Subject: Lead',
      'Date: Tue, 4 Feb 2025 10:00:00 +0000',
      'Content-Type: application/json',
      'Content-Disposition: inline',
      '',
      '{"name":"Ann","email":"ann@example.com","company":"Acme"}',
    ]));
    const parsedJson = await parseInbound(json, 'lead');
    expect(parsedJson.fields).toEqual({ name: 'Ann', email: 'ann@example.com', company: 'Acme' });
    // The JSON part is still kept as it came.
    expect(parsedJson.attachments.map((part) => part.contentType)).toEqual(['application/json']);
    const jsonAsText = Buffer.from(crlf([
      'From: hooks@example.com',
      'Subject: Lead',
      'Date: Tue, 4 Feb 2025 10:00:00 +0000',
      'Content-Type: text/plain; charset=utf-8',
      '',
      '{"name":"Ann","email":"ann@example.com","company":"Acme"}',
    ]));
    expect((await parseInbound(jsonAsText, 'lead')).fields).toEqual({ name: 'Ann', email: 'ann@example.com', company: 'Acme' });
  });

  it('leaves the fields empty for the Service Desk inbox, and for ordinary mail', async () => {
    const form = Buffer.from(crlf(['From: web@example.com', 'Subject: Form', 'Date: Tue, 4 Feb 2025 10:00:00 +0000', '', 'Name: Ann', 'Email: ann@example.com', '']));
    expect((await parseInbound(form, 'lead')).fields).toEqual({ name: 'Ann', email: 'ann@example.com' });
    expect((await parseInbound(form, 'serviceDesk')).fields).toEqual({});
    const ordinary = Buffer.from(crlf(['From: bob@example.com', 'Subject: lunch?', 'Date: Tue, 4 Feb 2025 10:00:00 +0000', '', 'Are you free at noon?', '--', 'Bob, Tel: 555 0100', '']));
    expect((await parseInbound(ordinary, 'lead')).fields).toEqual({});
  });
});
