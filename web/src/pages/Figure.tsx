import { useSearchParams } from 'react-router';
import { useGet } from '../api.ts';
import { AccountLink, Async } from '../components/bits.tsx';

type Listed = string | { accountId?: string; id?: string; name?: string };

/** The ids a figure's query answers, whatever its shape: `ids`, `accounts`, or `renewals`. */
function idsOf(answer: Record<string, unknown>): { id: string; name?: string }[] {
  const list = (answer.ids ?? answer.accounts ?? answer.renewals ?? []) as Listed[];
  return list.map((x) => (typeof x === 'string' ? { id: x } : { id: x.accountId ?? x.id ?? '', name: x.name }));
}

/** The accounts behind one figure: any API query a figure carries (`accountsQuery`, `query`), listed with links. */
export default function Figure() {
  const [params] = useSearchParams();
  const q = params.get('q') ?? '';
  const [path, search] = q.split('?') as [string, string | undefined];
  const valid = path.startsWith('/v1/');
  const answer = useGet<Record<string, unknown>>(valid ? path : null, Object.fromEntries(new URLSearchParams(search ?? '')));
  return (
    <>
      <h1>Accounts behind a figure</h1>
      <p className="muted">
        <code>{q}</code>
      </p>
      {!valid ? (
        <p className="error">Not a figure of the API.</p>
      ) : (
        <Async loaded={answer} what="the accounts">
          {(a) => {
            const ids = idsOf(a);
            return ids.length === 0 ? (
              <p className="muted">No account behind this figure.</p>
            ) : (
              <ul className="plain" data-testid="figure-accounts">
                {ids.map((x) => (
                  <li key={x.id}>
                    <AccountLink id={x.id} name={x.name} />
                  </li>
                ))}
              </ul>
            );
          }}
        </Async>
      )}
    </>
  );
}
