import { useRef } from 'react';
import type { CertificateSummary } from '../../shared/errors';
import { ErrorCode } from '../../shared/errors';
import { assertNever } from '../assert-never';
import { Button } from '../components/Buttons';
import { ErrorBox, SuccessBox } from '../components/StatusBox';
import { useFocusFallback } from '../components/use-focus-fallback';
import type { ConnectionTestView } from './connection-test-state';

export interface ConnectionTestPanelProps {
  /** Prefix of the panel's element ids, unique in the window ("send-direct", "lead-inbox"). */
  readonly idPrefix: string;
  /** The state for the values in the form now (an older result is not passed in). */
  readonly test: ConnectionTestView;
  /** The line beside the button when it can run: what it uses, and that it changes nothing. */
  readonly readyHint: string;
  /** While it runs: "Testing the connection to your mail server…". */
  readonly testingText: string;
  /** Why Test Connection can't run yet, or null when it can. */
  readonly notReadyReason: string | null;
  readonly onTest: () => void;
  readonly onTrust: () => void;
}

/**
 * Test Connection (seed 002): disabled until the required fields are complete, then a green box ("We
 * were able to connect…") or a red one with what to do. An untrusted certificate is shown so the user can
 * check it with IT and trust it.
 */
export function ConnectionTestPanel({ idPrefix, test, readyHint, testingText, notReadyReason, onTest, onTrust }: Readonly<ConnectionTestPanelProps>) {
  const hintId = `${idPrefix}-connection-test-hint`;
  const labelId = `${idPrefix}-connection-test-label`;
  const testing = test.kind === 'testing';
  const group = useRef<HTMLDivElement>(null);
  const testButton = useRef<HTMLButtonElement>(null);
  // "Trust this certificate" goes away once trusted: the next step is Test Connection again.
  useFocusFallback(group, testButton, test.kind === 'failed' ? `failed-${test.trust.kind}` : test.kind);
  return (
    <div className="field">
      <span className="field__label" id={labelId}>
        Connection
      </span>
      <div className="field__control connection-test" role="group" aria-labelledby={labelId} ref={group}>
        <div className="connection-test__bar">
          {/* Reachable while unavailable, with the reason read out with it (WCAG 4.1.2 Name, Role, Value). */}
          <Button onClick={onTest} disabled={notReadyReason !== null || testing} describedBy={hintId} ref={testButton}>
            {testing ? 'Testing…' : 'Test Connection'}
          </Button>
          <p className="field__hint" id={hintId}>
            {notReadyReason ?? readyHint}
          </p>
        </div>
        <div role="status" aria-live="polite">
          <Result test={test} testingText={testingText} onTrust={onTrust} />
        </div>
      </div>
    </div>
  );
}

function Result({ test, testingText, onTrust }: Readonly<{ test: ConnectionTestView; testingText: string; onTrust: () => void }>) {
  switch (test.kind) {
    case 'idle':
      return null;
    case 'testing':
      return <p className="status status--muted">{testingText}</p>;
    case 'succeeded':
      return (
        <SuccessBox>
          <p className="status__message">{test.message}</p>
        </SuccessBox>
      );
    case 'failed': {
      const certificate = test.error.certificate;
      const canTrust = certificate !== undefined && (test.error.code === ErrorCode.UntrustedCertificate || test.error.code === ErrorCode.CertificateChanged);
      return (
        <ErrorBox error={test.error}>
          {certificate !== undefined && <CertificateDetails certificate={certificate} />}
          {canTrust && (
            <div className="result__actions">
              <Button onClick={onTrust} disabled={test.trust.kind === 'trusting'}>
                {test.trust.kind === 'trusting' ? 'Trusting…' : 'Trust this certificate'}
              </Button>
            </div>
          )}
          {test.trust.kind === 'failed' && (
            <div className="result__nested" data-error-code={test.trust.error.code}>
              <p className="status__message">{test.trust.error.message}</p>
              {test.trust.error.fix !== undefined && <p className="status__fix">{test.trust.error.fix}</p>}
            </div>
          )}
        </ErrorBox>
      );
    }
    case 'trusted':
      return (
        <SuccessBox>
          <p className="status__message">
            The certificate of {test.certificate.host}:{test.certificate.port} is trusted now.
          </p>
          <p className="status__fix">Click Test Connection again to connect with it.</p>
        </SuccessBox>
      );
    default:
      return assertNever(test);
  }
}

function CertificateDetails({ certificate }: Readonly<{ certificate: CertificateSummary }>) {
  const rows: readonly (readonly [string, string])[] = [
    ['Server', `${certificate.host}:${certificate.port}`],
    ['Issued to', certificate.subject],
    ['Issued by', certificate.issuer],
    ['Valid from', localDate(certificate.validFrom)],
    ['Valid until', localDate(certificate.validTo)],
    ['SHA-256 fingerprint', certificate.fingerprint256],
  ];
  return (
    <dl className="certificate" aria-label="Server certificate">
      {rows.map(([term, value]) => (
        <div key={term} className="certificate__row">
          <dt>{term}</dt>
          <dd className={term === 'SHA-256 fingerprint' ? 'certificate__fingerprint' : undefined}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function localDate(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
