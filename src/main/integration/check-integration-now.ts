import { ErrorCode, type Result } from '../../shared/errors';
import type { IntegrationCredentialView } from '../../shared/integration';
import type { IntegrationRetrieval } from './integration-retrieval';
import type { IntegrationService } from './integration-service';

/**
 * "Check now" on an added mailbox: a run at once (never skipped for an empty mailbox), then its dashboard
 * row, whose tick or cross and last successful fetch say how it went. A check that is no outcome of the
 * mailbox (another run is emptying it, the app is quitting, the credential was deleted) is said instead.
 */
export async function checkIntegrationNow(
  services: { readonly integration: IntegrationService; readonly integrationRetrieval: IntegrationRetrieval },
  id: string,
): Promise<Result<IntegrationCredentialView>> {
  const outcome = await services.integrationRetrieval.checkNow(id);
  const notAnOutcome: readonly ErrorCode[] = [ErrorCode.RetrievalInProgress, ErrorCode.RetrievalCancelled, ErrorCode.IntegrationNotFound];
  if (!outcome.ok && notAnOutcome.includes(outcome.error.code)) return outcome;
  return services.integration.get(id);
}
