// oidc-provider 9 ships no type declarations (and @types/oidc-provider is for older majors). This covers
// only what the test bed uses, so strict TypeScript checks our side of the calls.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export type AdapterPayload = Record<string, unknown> & {
    grantId?: string;
    accountId?: string;
    clientId?: string;
    uid?: string;
    userCode?: string;
    consumed?: number;
    exp?: number;
    kind?: string;
  };

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface ClientLike {
    readonly clientId: string;
    readonly clientAuthMethod: string;
    readonly applicationType?: string;
    grantTypeAllowed(type: string): boolean;
  }

  export interface TokenLike {
    readonly clientId?: string;
    readonly accountId?: string;
    readonly grantId?: string;
    readonly jti: string;
    readonly kind: string;
    readonly scopes: Set<string>;
  }

  export interface KoaContextLike {
    readonly method: string;
    readonly path: string;
    status: number;
    body: unknown;
    readonly oidc: {
      readonly route?: string;
      readonly params?: Record<string, unknown>;
      readonly client?: ClientLike;
      readonly entities: Record<string, unknown>;
      readonly provider: Provider;
    };
  }

  export type TtlFunction = (ctx: KoaContextLike | undefined, token: unknown, client: ClientLike | undefined) => number;

  export interface AccountLike {
    accountId: string;
    claims(use: string, scope: string, claims: unknown, rejected: string[]): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  export interface InteractionDetails {
    readonly uid: string;
    readonly prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    readonly params: Record<string, unknown> & { client_id?: string; scope?: string };
    readonly session?: { accountId?: string; uid?: string };
    readonly grantId?: string;
    readonly lastSubmission?: Record<string, unknown>;
    readonly returnTo: string;
  }

  export interface GrantInstance {
    accountId?: string;
    clientId?: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
    destroy(): Promise<void>;
  }

  export interface GrantModel {
    new (init: { accountId: string; clientId: string }): GrantInstance;
    find(id: string): Promise<GrantInstance | undefined>;
  }

  export type Configuration = Record<string, unknown>;

  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    readonly Grant: GrantModel;
    readonly Client: { prototype: Record<string, unknown> };
    proxy: boolean;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    on(event: string, listener: (...args: never[]) => void): this;
    pathFor(name: string): string;
  }

  export const interactionPolicy: {
    base(): Array<{ name: string }> & { add(prompt: unknown, index?: number): void };
    Prompt: new (options: { name: string; requestable?: boolean }) => { name: string };
  };
}
