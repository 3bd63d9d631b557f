import React from 'react';
import { Route, Routes } from 'react-router-dom';
import { PluginPage } from '@grafana/runtime';
import { CompareRuns } from './CompareRuns';
import { RunDetail } from './RunDetail';
import { RunsTable } from './RunsTable';

/** Results: the runs table, one run's detail, two runs side by side. */
export default function ResultsPage() {
  return (
    <PluginPage>
      <Routes>
        <Route path="compare" element={<CompareRuns />} />
        <Route path=":id" element={<RunDetail />} />
        <Route path="*" element={<RunsTable />} />
      </Routes>
    </PluginPage>
  );
}
