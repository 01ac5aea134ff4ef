import { useMemo } from 'react';
import { qrCodePath } from './qr-code-path';

export interface QrCodeProps {
  readonly text: string;
  /** What the picture is for, said by screen readers ("QR code to scan with your authenticator app"). */
  readonly label: string;
}

/** A QR code drawn as inline SVG: no image URL, nothing fetched, crisp at any zoom. */
export function QrCode({ text, label }: Readonly<QrCodeProps>) {
  const { size, path } = useMemo(() => qrCodePath(text), [text]);
  return (
    <svg className="qr-code" role="img" aria-label={label} viewBox={`0 0 ${size} ${size}`} shapeRendering="crispEdges">
      <rect width={size} height={size} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
