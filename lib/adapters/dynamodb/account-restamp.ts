import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AccountRestamper } from '../../domain/ports.ts';
import { documents, isConditionFailure, tableCall } from './client.ts';
import { householdKey } from './keys.ts';
import { table } from './transact.ts';

// The plaintext is never stored, so a key rotation re-hashes an account only when its number is entered again.
export const dynamoAccountRestamp: AccountRestamper = {
  async restamp(household, accountId, fromHash, toHash) {
    const index = household.accounts.findIndex((account) => account.accountId === accountId);
    if (index < 0) return;
    try {
      await tableCall(() =>
        documents.send(
          new UpdateCommand({
            TableName: table(),
            Key: householdKey(household.firmId, household.householdId),
            // The old hash stays in accountHashes, so linking the same number is still refused while either key is.
            UpdateExpression: `SET accounts[${index}].numberHash = :to ADD accountHashes :toSet`,
            ConditionExpression: `accounts[${index}].accountId = :id AND accounts[${index}].numberHash = :from`,
            ExpressionAttributeValues: { ':to': toHash, ':toSet': new Set([toHash]), ':id': accountId, ':from': fromHash },
          }),
        ),
      );
    } catch (error) {
      // Someone re-stamped it first, or the accounts moved: the next verification tries again.
      if (!isConditionFailure(error)) throw error;
    }
  },
};
