import * as pulumi from "@pulumi/pulumi";
import { normalizeSiteName } from "../../../atlassian/site-name";

/**
 * A mocked Pulumi engine for component tests (pulumi-dynamic-providers.md §5.1): records every registration with
 * its URN, parent URN and dependencies (explicit `dependsOn` and those implied by Output inputs), which the plain
 * `newResource` mock does not show. Invokes the component makes (account, region, partition) answer with fixed
 * values; resources get plausible ARNs and names.
 */
export interface Registration {
  type: string;
  name: string;
  urn: string;
  parent: string;
  /** URNs this registration waited for: `dependsOn` plus the resources its inputs came from. */
  dependencies: string[];
  inputs: Record<string, any>;
  /** The state the mock answered with (ARNs, names). */
  outputs: Record<string, any>;
  custom: boolean;
}

export const ACCOUNT = "123456789012";
export const REGION = "eu-west-1";
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";
export const CLOUD_ID = "94edd5e5-d480-4ed6-ac74-50e2a79f77cd";

const SERVICE: Record<string, string> = { "aws:cloudwatch/logGroup:LogGroup": "logs", "aws:cloudwatch/metricAlarm:MetricAlarm": "cloudwatch" };

function mockState(type: string, name: string, inputs: Record<string, any>): Record<string, any> {
  const service = SERVICE[type] ?? type.split(":")[1]!.split("/")[0]!;
  const physical = inputs.name ?? `${name}-1a2b3c4`;
  const arn =
    type === "aws:s3/bucket:Bucket"
      ? `arn:aws:s3:::${physical}`
      : type === "aws:cloudwatch/logGroup:LogGroup"
        ? `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${physical}`
        : type === "aws:secretsmanager/secret:Secret"
          ? `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${physical}-AbCdEf`
          : `arn:aws:${service}:${REGION}:${ACCOUNT}:${physical}`;
  const state: Record<string, any> = { ...inputs, arn, name: physical };
  if (type === "aws:s3/bucket:Bucket") state.bucket = physical;
  if (type === "aws:kms/key:Key") state.keyId = `${name}-key-id`;
  if (type === "pulumi-nodejs:dynamic/jira:Connection") {
    const site = normalizeSiteName(inputs.site); // as the real provider does
    Object.assign(state, {
      siteName: site,
      siteUrl: `https://${site}.atlassian.net`,
      cloudId: CLOUD_ID,
      products: [{ key: "jira-software", name: "Jira Software", numberOfSeats: 20, remainingSeats: 5, userCount: 15, hasUnlimitedSeats: false, plan: "PAID" }],
    });
  }
  return state;
}

const INVOKES: Record<string, Record<string, string>> = {
  "aws:index/getCallerIdentity:getCallerIdentity": { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/ci`, userId: "AIDEXAMPLE", id: ACCOUNT },
  "aws:index/getRegion:getRegion": { region: REGION, name: REGION, id: REGION, endpoint: `ec2.${REGION}.amazonaws.com`, description: "Europe (Ireland)" },
  "aws:index/getPartition:getPartition": { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws", reverseDnsPrefix: "com.amazonaws" },
};

export async function startMockEngine(project = "jira-connectors", stack = "test"): Promise<Registration[]> {
  const registrations: Registration[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        if (!args.custom) return { id: undefined, state: {} };
        const state = mockState(args.type, args.name, args.inputs);
        // AWS identifies buckets by name; everything else gets a recognisable id.
        return { id: args.type === "aws:s3/bucket:Bucket" ? state.bucket : `${args.name}-id`, state };
      },
      call: (args) => {
        const answer = INVOKES[args.token];
        if (!answer) throw new Error(`unexpected invoke ${args.token}`);
        return answer;
      },
    },
    project,
    stack,
  );
  const monitor = pulumi.runtime.getMonitor() as any;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: (err: unknown, res: any) => void) => {
    register(req, (err: unknown, res: any) => {
      if (!err) {
        const propertyDeps: string[] = [];
        req.getPropertydependenciesMap().forEach((deps: any) => propertyDeps.push(...deps.getUrnsList()));
        registrations.push({
          type: req.getType(),
          name: req.getName(),
          urn: res.getUrn(),
          parent: req.getParent(),
          dependencies: [...new Set([...req.getDependenciesList(), ...propertyDeps])],
          inputs: pulumi.runtime.deserializeProperties(req.getObject()),
          outputs: res.getObject() ? pulumi.runtime.deserializeProperties(res.getObject()) : {},
          custom: req.getCustom(),
        });
      }
      callback(err, res);
    });
  };
  return registrations;
}

/** The value of an Output (mocks resolve everything). */
export const valueOf = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((resolve) => output.apply(resolve));

/** True when `value` travels as a Pulumi secret. */
export const isSecret = (value: unknown): boolean => Boolean(value && typeof value === "object" && (value as any)[SECRET_SIG]);

/** Unwraps a secret as the mock monitor reports it. */
export const unwrapSecret = (value: any): any => (isSecret(value) ? value.value : value);

/**
 * Waits until every registration the program started has been answered (the SDK's internal RPC queue; what
 * `disconnect()` waits for, without disconnecting), so tests see the whole graph, not a prefix of it.
 */
export async function settle(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- internal helper, not on the public surface
  const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
  await settings.waitForRPCs();
}
