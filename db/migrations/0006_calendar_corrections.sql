-- Corrections of Kazakhstan's calendar to the holidays package, loaded from data/calendar_corrections.csv:
-- one per date, each saying what the date is by the act or announcement in source.
CREATE TABLE calendar_corrections (
    day    date PRIMARY KEY,
    kind   text NOT NULL CHECK (kind IN ('day_off_added', 'day_off_removed', 'working_weekend_day')),
    note   text NOT NULL DEFAULT '',
    source text NOT NULL CHECK (source <> ''),
    CHECK (kind <> 'working_weekend_day' OR extract(isodow FROM day) IN (6, 7))
);
