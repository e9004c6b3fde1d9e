import { Injectable } from '@nestjs/common';

/** Injection token of the service registrations are provisioned in; tests swap in a failing one. */
export const PROVISIONER = Symbol('PROVISIONER');

/** Creates the tenant and owner of a registration in the systems behind the dashboard. */
export interface Provisioner {
  provision(company: string, email: string): Promise<void>;
}

/** The demo has no systems behind the dashboard: provisioning always succeeds. */
@Injectable()
export class NoopProvisioner implements Provisioner {
  async provision(): Promise<void> {}
}
