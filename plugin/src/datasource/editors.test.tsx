import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { ConfigEditor } from './ConfigEditor';
import { QueryEditor } from './QueryEditor';

describe('datasource editors', () => {
  it('config: the engine URL goes to jsonData, the token only to secureJsonData', () => {
    const onOptionsChange = jest.fn();
    const options = { jsonData: {}, secureJsonFields: {} } as never;
    render(<ConfigEditor options={options} onOptionsChange={onOptionsChange} />);
    fireEvent.change(screen.getByLabelText(/^Engine URL/), { target: { value: ' http://scale:8000 ' } });
    expect(onOptionsChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ jsonData: { engineUrl: 'http://scale:8000' } })
    );
    fireEvent.change(screen.getByLabelText(/^Engine token/), { target: { value: 'tok' } });
    expect(onOptionsChange).toHaveBeenLastCalledWith(
      expect.objectContaining({ secureJsonData: { engineToken: 'tok' } })
    );
    expect(onOptionsChange.mock.calls.at(-1)[0].jsonData).toEqual({});
  });

  it('query: runs offers name and status filters; other types take a test id (template variables allowed)', () => {
    const onChange = jest.fn();
    const onRunQuery = jest.fn();
    const props = { datasource: {} as never, onChange, onRunQuery };
    const { rerender } = render(<QueryEditor {...props} query={{ refId: 'A', queryType: 'runs' }} />);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'checkout' } });
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'runs', name: 'checkout' });
    expect(screen.queryByLabelText(/^Test id/)).not.toBeInTheDocument();
    rerender(<QueryEditor {...props} query={{ refId: 'A', queryType: 'result' }} />);
    const id = screen.getByLabelText(/^Test id/);
    fireEvent.change(id, { target: { value: '$test' } });
    fireEvent.blur(id);
    expect(onChange).toHaveBeenLastCalledWith({ refId: 'A', queryType: 'result', testId: '$test' });
    expect(onRunQuery).toHaveBeenCalled();
  });
});
