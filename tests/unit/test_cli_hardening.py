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
    proc = subprocess.Popen([sys.executable, "-m", "scrutiny", "fields"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before the first line, as `scrutiny fields | head -0`
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert proc.returncode == 2 and "Traceback" not in err and "BrokenPipe" not in err, err
