// JobResults: what a final job gave — its outputs (table and charts), its files, or its
// error — as the job page shows it.
"use client";

import { OutputFiles } from "@/components/results/output-files";
import { OutputTable } from "@/components/results/output-table";
import { ResultCharts } from "@/components/results/result-charts";
import type { Job, Port } from "@/lib/jobs";
import { JobErrorView } from "./job-error";

function Section({ id, title, children }: { id: string; title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="grid gap-3">
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

export function JobResults({ job, outputPorts }: { job: Job; outputPorts?: Port[] }) {
  const outputs = job.outputs ?? {};
  const hasOutputs = Object.keys(outputs).length > 0;
  return (
    <div className="grid gap-8">
      {job.status !== "completed" ? <JobErrorView job={job} /> : null}
      {job.status === "completed" || hasOutputs ? (
        <Section id="outputs-title" title="Outputs">
          <OutputTable outputs={outputs} units={job.units} ports={outputPorts} caption="The job's outputs with their units" />
        </Section>
      ) : null}
      {hasOutputs ? <ResultCharts outputs={outputs} units={job.units} ports={outputPorts} /> : null}
      {job.status === "completed" || job.output_files?.length ? (
        <Section id="files-title" title="Output files">
          <OutputFiles files={job.output_files} />
        </Section>
      ) : null}
    </div>
  );
}
