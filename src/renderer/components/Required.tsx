/**
 * The asterisk of a required field (WCAG 3.3.2 Labels or Instructions). It is outside the label and hidden
 * from screen readers, which hear "required" from the control's aria-required instead of "star"; the
 * form's RequiredLegend says what it means.
 */
export function RequiredMark() {
  return (
    <span className="field__required" aria-hidden="true">
      *
    </span>
  );
}

/** "* Required" at the top of a form with required fields, for those who see the asterisks. */
export function RequiredLegend() {
  return (
    <p className="required-legend" aria-hidden="true">
      <span className="field__required">*</span> Required
    </p>
  );
}
