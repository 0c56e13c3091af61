/**
 * A question's answer from what a person typed (the CLI's --answer, the editor's text field): a
 * choice as typed (choices are strings: "42" stays "42"); for an answerSchema of type string the
 * text itself; else JSON when it parses, the text when it does not (so `main` needs no quotes).
 */
export function answerFromText(question: { choices?: string[]; answerSchema?: Record<string, unknown> }, text: string): unknown {
  if (question.choices !== undefined || question.answerSchema?.type === 'string') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
