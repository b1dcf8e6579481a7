"""The command line ends every refusal with one message and status 2, never a traceback."""

import subprocess
import sys

from scrutiny.cli import main


def test_set_with_a_byte_that_is_not_utf8_is_refused(tmp_path, capsys):
    # on Linux an argument's undecodable byte 0xe9 arrives as the lone surrogate U+DCE9
    status = main(["run", "--set", "name=caf\udce9", "--out", str(tmp_path / "o"), "--quiet"])
    err = capsys.readouterr().err
    assert status == 2 and "--set 'name=caf\\udce9'" in err and "byte 0xe9" in err and "not UTF-8" in err
    assert not (tmp_path / "o").exists(), "nothing was written"


def test_output_cut_short_by_its_reader_ends_quietly_with_status_2():
    # `scrutiny fields | head -1` takes the same path in main(); `presets` starts faster
    proc = subprocess.Popen([sys.executable, "-m", "scrutiny", "presets"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before the first line, as `scrutiny presets | head -0`
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert proc.returncode == 2 and "Traceback" not in err and "BrokenPipe" not in err, err


def run_main(capsys, *argv):
    status = main([str(a) for a in argv])
    return status, capsys.readouterr().err


def test_an_input_that_is_not_a_regular_file_is_named_as_such(tmp_path, capsys):
    """A device or pipe as a scenario or arms file (it may never end, /dev/zero): refused, and said truly."""
    import os

    fifo = tmp_path / "arms.fifo"
    os.mkfifo(fifo)
    for argv in (["run", "/dev/zero", "--out", tmp_path / "a"], ["compare", "--arms", fifo, "--out", tmp_path / "b"]):
        status, err = run_main(capsys, *argv, "--quiet")
        assert status == 2 and "is not a regular file (a device, pipe or socket)" in err, err
        assert "does not exist" not in err
    status, err = run_main(capsys, "compare", "--arms", tmp_path / "none.toml", "--out", tmp_path / "c", "--quiet")
    assert status == 2 and "does not exist" in err, err
    assert not any((tmp_path / d).exists() for d in "abc"), "nothing was written"


def test_out_naming_a_file_fails_cleanly_and_leaves_the_file(tmp_path, capsys):
    target = tmp_path / "results.txt"
    target.write_text("keep me")
    status, err = run_main(capsys, "run", "--out", target, "--set", "n_days=1", "--quiet")
    assert status == 2 and f"--out '{target}' is a file; name a folder" in err, err
    assert target.read_text() == "keep me"


def test_out_whose_parent_is_missing_is_refused_before_any_work(tmp_path, capsys):
    out = tmp_path / "missing" / "out"
    status, err = run_main(capsys, "compare", "--out", out, "--replicates", 1, "--quiet")
    assert status == 2 and f"its parent folder '{tmp_path / 'missing'}' does not exist" in err, err
    assert not (tmp_path / "missing").exists()


def test_out_in_a_read_only_place_is_refused(capsys):
    status, err = run_main(capsys, "sweep", "--design", "unused.toml", "--out", "/sys/scrutiny-out", "--quiet")
    assert status == 2 and "--out '/sys/scrutiny-out'" in err and ("cannot write in '/sys'" in err
                                                                    or "does not exist" in err), err


def test_plan_over_the_limit_is_refused_with_size_and_estimates(tmp_path, capsys):
    status, err = run_main(capsys, "demo", "--replicates", 10_000_000, "--out", tmp_path / "d", "--quiet")
    assert status == 2 and "110,000,000 tasks (11 arms x 10,000,000 replicates)" in err, err
    assert "of computing on one core" in err and "--max-tasks N" in err and not (tmp_path / "d").exists()


def test_max_tasks_sets_the_limit_over_the_environment(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("SCRUTINY_MAX_TASKS", "1000")
    (tmp_path / "arms.toml").write_text('[arms.same]\noverrides = {}\n')
    status, err = run_main(capsys, "compare", "--arms", tmp_path / "arms.toml", "--set", "world.n_people=3000",
                           "--replicates", 2, "--out", tmp_path / "c", "--quiet", "--max-tasks", 3)
    assert status == 2 and "4 tasks (2 arms x 2 replicates), more than the limit of 3" in err, err
    assert not (tmp_path / "c").exists()


def test_recovered_part_is_reported_as_one_warning_line(tmp_path, capsys):
    (tmp_path / "design.toml").write_text('[fields]\n"field.threshold" = [9.6]\n')
    common = ["sweep", "--design", tmp_path / "design.toml", "--set", "world.n_people=3000", "--set", "n_days=3",
              "--out", tmp_path / "s", "--quiet"]
    assert run_main(capsys, *common)[0] == 0
    (tmp_path / "s" / "parts" / "p00000" / "r00000.parquet").write_bytes(b"garbage")
    status, err = run_main(capsys, *common)
    assert status == 0 and err.startswith("scrutiny: warning: The part of task p00000/r00000"), err
    assert "computed again" in err and "Traceback" not in err


def test_plan_over_the_limit_is_refused_before_the_model_is_imported(tmp_path):
    (tmp_path / "grid.toml").write_text('[fields]\n"field.threshold" = { lo = 9.0, hi = 11.0, n = 1000000000 }\n')
    argv = ["sweep", "--design", str(tmp_path / "grid.toml"), "--out", str(tmp_path / "o")]
    heavy = ("scrutiny.experiments", "pandas", "scipy")
    code = (f"import sys; from scrutiny.cli import main; status = main({argv!r}); "
            f"print(status, sorted(m for m in sys.modules if m.startswith({heavy!r})))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.strip() == "2 []", (proc.stdout, proc.stderr)
    assert "10,000,000,000 tasks" in proc.stderr and "of computing on one core" in proc.stderr  # 10 replicates


def test_report_on_a_sweep_sensitivity_or_calibration_folder_says_how_to_rebuild_it(tmp_path, capsys):
    for marker, command in (("sweep.json", "sweep"), ("sensitivity.json", "sensitivity"),
                            ("calibration.json", "calibrate")):
        folder = tmp_path / command
        folder.mkdir()
        (folder / marker).write_text("{}")
        status, err = run_main(capsys, "report", folder)
        assert status == 2 and f"is a {command} folder" in err and f"scrutiny {command} ... --out" in err, err
        assert "resumes" in err and "Traceback" not in err
