// Loads what a comparison needs for one job: the job (GET /jobs/{id}, with its output
// units) and the declared units of its function's inputs (GET the function at the job's
// version). The inputs' units are a nicety: when the function cannot be read (a package
// since hidden or archived), the job is still compared, without them.
import { getFunctionSpec, getJob, unitsOf, type Job } from "@/lib/jobs-history";
import type { ComparedJob } from "@/lib/job-compare";

export interface LoadedJob {
  job: Job;
  compared: ComparedJob;
}

export async function loadComparedJob(id: string, signal?: AbortSignal): Promise<LoadedJob> {
  const job = await getJob(id, signal);
  let inputUnits: Record<string, string> = {};
  try {
    const spec = await getFunctionSpec(job.package_id, job.function, job.version, signal);
    inputUnits = unitsOf(spec.inputs);
  } catch {
    // compared without the inputs' units
  }
  return {
    job,
    compared: { inputs: job.inputs ?? {}, outputs: job.outputs ?? {}, inputUnits, outputUnits: job.units ?? {} },
  };
}
