"use client";

import type { ReactNode } from "react";
import { Pager } from "./pager";
import { QueryView, type DisplayableError } from "./states";

export interface Column<Row> {
  header: string;
  cell: (row: Row) => ReactNode;
}

interface Page<Row> {
  total: number;
  items: Row[];
}

/** A server-paged list: loading, error and empty states, the table, and the pager bound to the URL. */
export function PagedTable<Row>({
  query,
  what,
  empty,
  columns,
  rowKey,
  page,
}: {
  query: { data: Page<Row> | undefined; error: DisplayableError | null; isPending: boolean; refetch: () => unknown };
  what: string;
  empty: string;
  columns: Column<Row>[];
  rowKey: (row: Row) => string;
  page: { offset: number; size: number };
}) {
  return (
    <QueryView query={query} what={what} isEmpty={(data) => data.total === 0} empty={empty}>
      {(data) => (
        <>
          <table className="list">
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column.header}>{column.header}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.items.map((row) => (
                <tr key={rowKey(row)}>
                  {columns.map((column) => (
                    <td key={column.header}>{column.cell(row)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <Pager total={data.total} {...page} />
        </>
      )}
    </QueryView>
  );
}
