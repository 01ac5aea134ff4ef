import type { AdminStatus } from '../../shared/admin';
import { Button } from '../components/Buttons';
import { useAdmin } from './admin-context';

export interface AdminIndicatorProps {
  readonly status: AdminStatus | null;
  readonly onSignIn: () => void;
  readonly onSignOut: () => void;
}

/** In the window's title bar: who is signed in as administrator, with Sign out; else the way to sign in. */
export function AdminIndicator({ status, onSignIn, onSignOut }: Readonly<AdminIndicatorProps>) {
  if (status === null) return null;
  return (
    <div className="admin-indicator" aria-label="Administrator" role="group">
      {status.signedIn === null ? (
        <Button variant="link" onClick={onSignIn}>
          Sign in as administrator
        </Button>
      ) : (
        <>
          <span className="admin-indicator__who">Administrator: {status.signedIn.email}</span>
          <span aria-hidden="true">—</span>
          <Button variant="link" onClick={onSignOut}>
            Sign out
          </Button>
        </>
      )}
    </div>
  );
}

/** The indicator on the window's AdminProvider. */
export function AdminIndicatorContainer() {
  const { status, requireAdmin, signOut } = useAdmin();
  return <AdminIndicator status={status} onSignIn={() => void requireAdmin(null)} onSignOut={signOut} />;
}
