import Link from 'next/link';
import { Input, Select } from '@/components/ui/field';
import { FormErrors } from '@/components/ui/form-errors';
import { buttonClasses } from '@/components/ui/button';
import { AUDIT_DECISIONS } from '@/lib/audit/schemas';
import { KNOWN_TOOLS } from './format';

export type AuditFilterValues = {
  room?: string;
  user?: string;
  tool?: string;
  decision?: string;
  from?: string;
  to?: string;
};

/** The audit log's filters as a plain GET form: the URL is the state, so filtered views can be shared. */
export function AuditFilters({
  values,
  rooms,
  users,
  errors = {},
}: {
  values: AuditFilterValues;
  rooms: { id: string; name: string }[];
  users: { id: string; name: string; email: string }[];
  errors?: Record<string, string | undefined>;
}) {
  return (
    <form
      method="get"
      action="/audit"
      aria-label="Filter the audit log"
      className="mb-6 space-y-4 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
      noValidate
    >
      <FormErrors fieldErrors={errors} />
      <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
        <Select label="Room" name="room" defaultValue={values.room ?? ''} error={errors.room}>
          <option value="">All my rooms</option>
          {rooms.map((room) => (
            <option key={room.id} value={room.id}>
              {room.name}
            </option>
          ))}
        </Select>
        <Select label="User" name="user" defaultValue={values.user ?? ''} error={errors.user}>
          <option value="">Anyone</option>
          {users.map((user) => (
            <option key={user.id} value={user.id}>
              {user.name} ({user.email})
            </option>
          ))}
        </Select>
        <Input
          label="Tool"
          name="tool"
          list="audit-known-tools"
          defaultValue={values.tool ?? ''}
          placeholder="any"
          autoComplete="off"
          error={errors.tool}
        />
        <datalist id="audit-known-tools">
          {KNOWN_TOOLS.map((tool) => (
            <option key={tool} value={tool} />
          ))}
        </datalist>
        <Select label="Decision" name="decision" defaultValue={values.decision ?? ''} error={errors.decision}>
          <option value="">Any</option>
          {AUDIT_DECISIONS.map((decision) => (
            <option key={decision} value={decision}>
              {decision.replaceAll('_', ' ')}
            </option>
          ))}
        </Select>
        <div className="col-span-2 md:col-span-1">
          <Input
            label="From (UTC)"
            name="from"
            type="datetime-local"
            defaultValue={values.from ?? ''}
            error={errors.from}
          />
        </div>
        <div className="col-span-2 md:col-span-1">
          <Input label="To (UTC)" name="to" type="datetime-local" defaultValue={values.to ?? ''} error={errors.to} />
        </div>
      </div>
      <div className="flex items-center gap-3">
        <button type="submit" className={buttonClasses('primary', 'sm')}>
          Apply filters
        </button>
        <Link href="/audit" className="text-sm text-slate-600 hover:underline">
          Clear
        </Link>
      </div>
    </form>
  );
}
