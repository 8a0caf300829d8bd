'use client';

// Replacing the whole policy with one written as YAML or JSON (pasted or read from a file). The
// server parses and validates it with the same schema as the editor; on any problem nothing is
// saved and every problem is listed with its path.
import { useState, useTransition } from 'react';
import type { PolicyDocument } from '@/lib/policy/policy-schema';
import type { PolicyFormat, PolicyIssue } from '@/lib/policy/policy-io';
import { importPolicyAction } from '@/app/(dashboard)/rooms/[roomId]/policy/actions';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { FormError, FormSuccess } from '@/components/ui/field';
import { CONTROL, SelectField } from './controls';
import { IssueList } from './issue-list';

export function PolicyImport({
  roomId,
  basedOnVersion,
  dirty,
  onImported,
}: {
  roomId: string;
  basedOnVersion: number;
  dirty: boolean;
  onImported: (version: number, document: PolicyDocument) => void;
}) {
  const [text, setText] = useState('');
  const [format, setFormat] = useState<PolicyFormat>('yaml');
  const [state, setState] = useState<{ ok?: boolean; message?: string; issues?: PolicyIssue[] }>({});
  const [pending, startTransition] = useTransition();

  function submit() {
    startTransition(async () => {
      const result = await importPolicyAction(roomId, basedOnVersion, text, format);
      if (result.ok) {
        setState({ ok: true, message: `Imported as version ${result.version}.` });
        setText('');
        onImported(result.version, result.document);
      } else {
        setState({ ok: false, message: result.message, issues: result.issues });
      }
    });
  }

  async function readFile(file: File | undefined) {
    if (!file) return;
    setText(await file.text());
    if (/\.json$/i.test(file.name)) setFormat('json');
    else if (/\.ya?ml$/i.test(file.name)) setFormat('yaml');
  }

  return (
    <form onSubmit={(e) => e.preventDefault()} className="space-y-3" aria-label="Import policy" noValidate>
      <div className="flex flex-wrap items-end gap-3">
        <SelectField<PolicyFormat>
          className="w-40"
          label="Format"
          value={format}
          onChange={setFormat}
          options={[
            { value: 'yaml', label: 'YAML' },
            { value: 'json', label: 'JSON' },
          ]}
        />
        <label className="text-xs text-slate-600">
          <span className="mb-1 block font-medium text-slate-700">Or read a file</span>
          <input
            type="file"
            accept=".yaml,.yml,.json,application/json,application/yaml,text/yaml"
            onChange={(e) => void readFile(e.target.files?.[0])}
            className="text-xs file:mr-2 file:rounded-md file:border-0 file:bg-slate-100 file:px-2.5 file:py-1.5 file:text-xs file:font-semibold file:text-slate-700 hover:file:bg-slate-200"
          />
        </label>
      </div>
      <div className="space-y-1">
        <label htmlFor="policy-import-text" className="block text-xs font-medium text-slate-700">
          Policy to import
        </label>
        <textarea
          id="policy-import-text"
          rows={8}
          value={text}
          spellCheck={false}
          onChange={(e) => setText(e.target.value)}
          placeholder={
            'defaultEffect: require_approval\nrules:\n  - id: read-tools\n    name: Read tools\n    match: { tools: [read] }\n    effect: allow'
          }
          className={`${CONTROL} font-mono text-xs`}
        />
      </div>
      {state.ok ? <FormSuccess message={state.message} /> : <FormError message={state.message} />}
      {!state.ok && state.issues && <IssueList issues={state.issues} label="Import problems" />}
      <ConfirmButton
        variant="primary"
        question={
          dirty
            ? 'Replace the whole policy with this one? Your unsaved edits above are discarded.'
            : 'Replace the whole policy with this one? It becomes a new version.'
        }
        confirmLabel="Import and replace"
        pending={pending || text.trim() === ''}
        onConfirm={submit}
      >
        {pending ? 'Importing…' : 'Import'}
      </ConfirmButton>
    </form>
  );
}
