import React from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';
import { ROUTES } from '../../constants';

const LoadTestPage = React.lazy(() => import('../../pages/LoadTest/LoadTestPage'));
const LivePage = React.lazy(() => import('../../pages/Live/LivePage'));
const ResultsPage = React.lazy(() => import('../../pages/Results/ResultsPage'));
const ControlPanelPage = React.lazy(() => import('../../pages/ControlPanel/ControlPanelPage'));
const SimulatorPage = React.lazy(() => import('../../pages/Simulator/SimulatorPage'));

/** The app's pages; Grafana's side nav lists them from plugin.json `includes`. */
function App(_props: AppRootProps) {
  return (
    <Routes>
      <Route path={ROUTES.LoadTest} element={<LoadTestPage />} />
      <Route path={ROUTES.Live} element={<LivePage />} />
      <Route path={`${ROUTES.Results}/*`} element={<ResultsPage />} />
      <Route path={ROUTES.Control} element={<ControlPanelPage />} />
      <Route path={ROUTES.Simulator} element={<SimulatorPage />} />
      <Route path="*" element={<Navigate to={ROUTES.LoadTest} replace />} />
    </Routes>
  );
}

export default App;
