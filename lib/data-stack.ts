import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AccountTable } from './constructs/account-table.ts';
import { EmailSending } from './constructs/email-sending.ts';
import { LayoutMarks } from './constructs/layout-marks.ts';

/** Stateful resources, in their own stack so the app stack can be replaced freely. */
export class DataStack extends Stack {
  readonly table: AccountTable;
  readonly email: EmailSending;

  constructor(scope: Construct, id: string, props: StackProps & { fromAddress: string }) {
    super(scope, id, props);
    this.table = new AccountTable(this, 'Accounts');
    // A new (empty) table is marked ready for derived reads at deploy; one with accounts waits for `tend metrics rebuild`.
    new LayoutMarks(this, 'LayoutMarks', { table: this.table.table });
    this.email = new EmailSending(this, 'Email', { fromAddress: props.fromAddress });
  }
}
