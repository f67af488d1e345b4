// The /run/ page's content: loads the function (and the type catalogue, and an earlier
// job when run again), shows its description and the generated form, and on submit
// starts the job asynchronously and goes to its page. A 422's problems land under their
// fields; any other refusal shows the problem's detail.
"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import * as React from "react";
import { errorText, isSignInRedirect } from "@/lib/error-text";
import { listFiles } from "@/lib/files";
import {
  executeFunction,
  getFunction,
  getJob,
  getConversion,
  getTypeCatalog,
  InvalidInputsError,
  type FunctionVersion,
  type JobSummary,
} from "@/lib/run-api";
import {
  buildFormModel,
  declaredUnits,
  registerCatalogUnits,
  registerUnit,
  unitDef,
  valuesFromInputs,
  type FormModel,
  type FormValues,
  type JsonSchema,
  type TypeCatalog,
} from "@/lib/schema-form";
import { RunForm, type SubmitOutcome } from "./run-form";

export interface RunCalculationProps {
  packageId: string;
  functionName: string;
  version?: string;
  fromJob?: string;
}

interface Loaded {
  fn: FunctionVersion;
  model: FormModel;
  initialValues?: FormValues;
  fromJob?: JobSummary;
}

// The factors of the declared units the catalogue does not list (N/mm^2 for a Stress),
// asked of the server, so that the form converts between them and the suggested units
// exactly as the server does. A unit it cannot convert stays alone in its selector.
async function registerDeclaredUnits(schema: JsonSchema, catalog: TypeCatalog | undefined, signal: AbortSignal) {
  registerCatalogUnits(catalog);
  const missing = declaredUnits(schema).filter(({ unit }) => !unitDef(unit));
  await Promise.all(
    missing.map(async ({ unit, quantity }) => {
      const si = catalog?.quantities?.find((q) => q.name === quantity)?.si_unit;
      if (!si) return;
      const c = await getConversion(unit, si, signal).catch(() => undefined);
      if (c) registerUnit(unit, { dimension: c.dimension, factor: c.factor, offset: c.offset });
    }),
  );
}

async function load(props: RunCalculationProps, signal: AbortSignal): Promise<Loaded> {
  const [fn, catalog, job] = await Promise.all([
    getFunction(props.packageId, props.functionName, props.version, signal),
    getTypeCatalog(signal).catch((): TypeCatalog | undefined => undefined),
    props.fromJob ? getJob(props.fromJob, signal) : Promise.resolve(undefined),
  ]);
  await registerDeclaredUnits(fn.input_schema ?? {}, catalog, signal);
  const model = buildFormModel(fn.input_schema ?? {}, fn.inputs ?? [], catalog);
  if (!job) return { fn, model };
  let names: Record<string, string> = {};
  if (job.input_files?.length) {
    const files = await listFiles({ per_page: 100 }, signal).catch(() => undefined);
    names = Object.fromEntries((files?.items ?? []).map((f) => [f.id, f.filename]));
  }
  return { fn, model, fromJob: job, initialValues: valuesFromInputs(model, job.inputs ?? {}, names) };
}

export function RunCalculation(props: RunCalculationProps) {
  const { packageId, functionName, version, fromJob } = props;
  const router = useRouter();
  const [loaded, setLoaded] = React.useState<Loaded | null>(null);
  const [error, setError] = React.useState<string | null>(null);

  React.useEffect(() => {
    const controller = new AbortController();
    setLoaded(null);
    setError(null);
    load({ packageId, functionName, version, fromJob }, controller.signal).then(setLoaded, (e: unknown) => {
      if (controller.signal.aborted || isSignInRedirect(e)) return;
      setError(errorText(e));
    });
    return () => controller.abort();
  }, [packageId, functionName, version, fromJob]);

  const submit = React.useCallback(
    async (body: { inputs: Record<string, unknown>; files: Record<string, string> }): Promise<SubmitOutcome> => {
      if (!loaded) return;
      try {
        const job = await executeFunction(packageId, functionName, {
          inputs: body.inputs,
          files: Object.keys(body.files).length ? body.files : undefined,
          version: version ?? loaded.fn.version,
          async: true,
        });
        router.push(`/jobs/view/?id=${encodeURIComponent(job.job_id)}`);
      } catch (e) {
        if (e instanceof InvalidInputsError) return { problems: e.problems };
        if (isSignInRedirect(e)) return;
        return { message: errorText(e) };
      }
    },
    [loaded, packageId, functionName, version, router],
  );

  const pkgHref = `/packages/view/?id=${encodeURIComponent(packageId)}`;
  const fnHref = `/functions/view/?package=${encodeURIComponent(packageId)}&name=${encodeURIComponent(functionName)}${version ? `&version=${encodeURIComponent(version)}` : ""}`;
  return (
    <div className="grid gap-6">
      <div className="grid gap-2">
        <p className="text-sm text-muted-foreground">
          <Link href={pkgHref} className="font-mono underline-offset-4 hover:underline">
            {packageId}
          </Link>
          {loaded ? <span> · v{loaded.fn.version}</span> : null}
        </p>
        <h1 className="break-words font-mono text-2xl font-semibold">Run {functionName}</h1>
        {loaded?.fn.description ? <p className="text-muted-foreground">{loaded.fn.description}</p> : null}
        {loaded ? (
          <p className="text-sm">
            <Link href={fnHref} className="underline underline-offset-4">
              Inputs and outputs of this function
            </Link>
          </p>
        ) : null}
        {loaded?.fromJob ? (
          <p className="rounded-md border bg-muted/40 p-2 text-sm">
            Prefilled with the inputs of job{" "}
            <Link href={`/jobs/view/?id=${encodeURIComponent(loaded.fromJob.job_id)}`} className="font-mono underline-offset-4 hover:underline">
              {loaded.fromJob.job_id.slice(0, 8)}
            </Link>
            {loaded.fromJob.function && loaded.fromJob.function !== functionName
              ? ` (a run of ${loaded.fromJob.function}: only its inputs of the same names are used)`
              : ""}
            .
          </p>
        ) : null}
      </div>
      {error ? (
        <p role="alert" className="text-destructive">
          {error}
        </p>
      ) : null}
      {!loaded && !error ? (
        <p role="status" className="text-muted-foreground">
          Loading the function…
        </p>
      ) : null}
      {loaded ? (
        <RunForm
          key={`${loaded.fn.id}:${loaded.fromJob?.job_id ?? ""}`}
          model={loaded.model}
          initialValues={loaded.initialValues}
          onSubmit={submit}
        />
      ) : null}
    </div>
  );
}
