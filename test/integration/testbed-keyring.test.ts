import { inject, it, expect } from 'vitest';

it('inherits the private bus address', () => {
  const testbed = inject('testbed');
  expect(process.env['DBUS_SESSION_BUS_ADDRESS']).toBe(testbed.keyring.busAddress);
});
